def triple(x): return x * 3
def div(a, b): return a / b
def add(a, b): return a + b
def quot(a, b): return a - b
