def inc(x): return x + 1
def quot(a, b): return a % b
