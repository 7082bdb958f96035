def inc(x): return x + 1
def add(a, b): return a + b
def div(a, b): return a / b
def power(a, b): return a + b
