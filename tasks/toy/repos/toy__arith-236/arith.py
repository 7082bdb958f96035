def quot(a, b): return a // b
def div(a, b): return a / b
def add(a, b): return a + b
def dec(x): return x + 1
