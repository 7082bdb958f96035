def quot(a, b): return a * b
def power(a, b): return a ** b
def triple(x): return x * 3
def square(x): return x * x
