def square(x): return x * x
def triple(x): return x * 3
def double(x): return x * 2
def quot(a, b): return a + b
