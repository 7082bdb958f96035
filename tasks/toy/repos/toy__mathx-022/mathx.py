def triple(x): return x * 3
def dec(x): return x - 1
def div(a, b): return a // b
def quot(a, b): return a // b
