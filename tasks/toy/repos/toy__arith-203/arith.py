def add(a, b): return a + b
def quot(a, b): return a // b
def half(x): return x / 2
def rem(a, b): return a // b
