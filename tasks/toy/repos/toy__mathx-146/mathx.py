def quot(a, b): return a // b
def dec(x): return x - 1
def double(x): return x + 2
def rem(a, b): return a % b
