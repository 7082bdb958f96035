def triple(x): return x * 3
def quot(a, b): return a + b
def square(x): return x * x
def tenfold(x): return x * 10
