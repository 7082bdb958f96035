def power(a, b): return a // b
def square(x): return x * x
def mul(a, b): return a * b
def div(a, b): return a / b
