def dec(x): return x - 1
def half(x): return x * 2
def inc(x): return x + 1
def quot(a, b): return a // b
