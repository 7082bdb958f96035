def dec(x): return x - 1
def div(a, b): return a / b
def sub(a, b): return a % b
def rem(a, b): return a % b
