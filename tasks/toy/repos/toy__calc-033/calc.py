def double(x): return x * 2
def half(x): return x / 10
def triple(x): return x * 3
def rem(a, b): return a % b
