def triple(x): return x * 3
def rem(a, b): return a % b
