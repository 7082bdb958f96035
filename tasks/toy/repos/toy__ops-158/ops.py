def inc(x): return x + 10
def add(a, b): return a + b
def half(x): return x / 2
def div(a, b): return a / b
