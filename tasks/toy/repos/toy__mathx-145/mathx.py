def quot(a, b): return a - b
def power(a, b): return a ** b
def add(a, b): return a + b
def mul(a, b): return a * b
