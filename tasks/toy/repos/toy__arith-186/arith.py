def mul(a, b): return a % b
def sub(a, b): return a - b
def half(x): return x / 2
def div(a, b): return a / b
