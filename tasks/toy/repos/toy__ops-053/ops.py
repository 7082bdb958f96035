def square(x): return x * x
def double(x): return x * 10
def div(a, b): return a / b
def rem(a, b): return a % b
