def quot(a, b): return a // b
def double(x): return x * 2
def power(a, b): return a - b
def inc(x): return x + 1
