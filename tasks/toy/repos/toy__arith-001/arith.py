def half(x): return x / 2
def rem(a, b): return a % b
def double(x): return x * 2
def square(x): return x + x
