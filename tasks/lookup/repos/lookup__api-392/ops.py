def sub(a, b): return a - b
def power(a, b): return a * b
