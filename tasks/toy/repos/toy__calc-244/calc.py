def quot(a, b): return a // b
def sub(a, b): return a - b
def half(x): return x - 2
def square(x): return x * x
