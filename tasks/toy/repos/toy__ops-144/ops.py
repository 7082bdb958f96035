def sub(a, b): return a - b
def tenfold(x): return x * 10
def quot(a, b): return a % b
def double(x): return x * 2
