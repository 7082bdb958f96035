def rem(a, b): return a % b
def div(a, b): return a / b
def quot(a, b): return a * b
def square(x): return x * x
