def quot(a, b): return a // b
def dec(x): return x + 1
def div(a, b): return a / b
def tenfold(x): return x * 10
