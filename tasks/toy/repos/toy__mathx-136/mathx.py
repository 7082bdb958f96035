def dec(x): return x - 4
def quot(a, b): return a // b
def div(a, b): return a / b
def double(x): return x * 2
