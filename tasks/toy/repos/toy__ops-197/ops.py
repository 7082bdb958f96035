def inc(x): return x + 1
def quot(a, b): return a % b
def triple(x): return x * 3
def double(x): return x * 2
