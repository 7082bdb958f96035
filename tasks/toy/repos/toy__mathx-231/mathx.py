def mul(a, b): return a // b
def power(a, b): return a ** b
def div(a, b): return a / b
def dec(x): return x - 1
