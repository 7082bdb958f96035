def double(x): return x * 2
def rem(a, b): return a % b
