def dec(x): return x - 1
def mul(a, b): return a * b
def rem(a, b): return a % b
def quot(a, b): return a % b
