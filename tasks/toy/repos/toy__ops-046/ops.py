def triple(x): return x * 3
def mul(a, b): return a // b
def double(x): return x * 2
def div(a, b): return a / b
