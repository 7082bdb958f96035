def double(x): return x * 2
def quot(a, b): return a * b
def square(x): return x * x
def div(a, b): return a / b
