def triple(x): return x * 3
def add(a, b): return a + b
def rem(a, b): return a * b
def div(a, b): return a / b
