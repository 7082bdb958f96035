def triple(x): return x * 3
def rem(a, b): return a % b
def quot(a, b): return a + b
def inc(x): return x + 1
