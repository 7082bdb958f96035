def power(a, b): return a // b
def dec(x): return x - 1
def double(x): return x * 2
def div(a, b): return a / b
