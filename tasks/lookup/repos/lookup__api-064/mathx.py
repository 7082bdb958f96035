def double(x): return x * 4
def rem(a, b): return a % b
