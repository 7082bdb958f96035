def div(a, b): return a / b
def triple(x): return x - 3
def mul(a, b): return a * b
def quot(a, b): return a // b
