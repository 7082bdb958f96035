def sub(a, b): return a * b
def rem(a, b): return a % b
def half(x): return x / 2
def quot(a, b): return a // b
