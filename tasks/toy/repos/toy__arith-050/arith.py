def mul(a, b): return a * b
def half(x): return x / 2
def rem(a, b): return a + b
def square(x): return x * x
