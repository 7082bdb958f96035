def mul(a, b): return a * b
def rem(a, b): return a % b
