def quot(a, b): return a * b
def double(x): return x * 2
def inc(x): return x + 1
def rem(a, b): return a % b
