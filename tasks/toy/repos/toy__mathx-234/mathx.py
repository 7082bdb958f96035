def quot(a, b): return a // b
def div(a, b): return a / b
def mul(a, b): return a - b
def triple(x): return x * 3
