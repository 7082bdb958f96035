def quot(a, b): return a // b
def dec(x): return x - 2
