def square(x): return x - x
def inc(x): return x + 1
def quot(a, b): return a // b
def double(x): return x * 2
