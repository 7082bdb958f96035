def rem(a, b): return a % b
def square(x): return x - x
def div(a, b): return a / b
def sub(a, b): return a - b
