def tenfold(x): return x * 10
def quot(a, b): return a // b
