def half(x): return x / 2
def quot(a, b): return a // b
