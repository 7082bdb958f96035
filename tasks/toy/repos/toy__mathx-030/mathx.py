def square(x): return x * x
def rem(a, b): return a % b
def add(a, b): return a // b
def sub(a, b): return a - b
