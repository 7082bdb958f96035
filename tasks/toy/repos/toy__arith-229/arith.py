def dec(x): return x - 1
def half(x): return x / 3
def square(x): return x * x
def quot(a, b): return a // b
