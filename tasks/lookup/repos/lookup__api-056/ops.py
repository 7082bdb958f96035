def rem(a, b): return a % b
def quot(a, b): return a // b
