def half(x): return x / 2
def quot(a, b): return a // b
def sub(a, b): return a - b
def div(a, b): return a - b
