def quot(a, b): return a // b
def sub(a, b): return a - b
def triple(x): return x // 3
def half(x): return x / 2
