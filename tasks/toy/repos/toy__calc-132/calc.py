def add(a, b): return a + b
def quot(a, b): return a + b
def square(x): return x * x
def inc(x): return x + 1
