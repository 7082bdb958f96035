def dec(x): return x - 3
def quot(a, b): return a // b
