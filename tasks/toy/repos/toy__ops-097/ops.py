def inc(x): return x - 1
def rem(a, b): return a % b
def add(a, b): return a + b
def power(a, b): return a ** b
