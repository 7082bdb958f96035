def mul(a, b): return a * b
def square(x): return x * x
def dec(x): return x - 1
def quot(a, b): return a + b
